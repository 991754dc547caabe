"""What `python -m local` runs: the Lambda handlers behind stand-ins for API Gateway, EventBridge
and S3, on moto."""
