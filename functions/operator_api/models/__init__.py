"""The API's request and response models, one module per block (camelCase on the wire,
documented in the OpenAPI); `common` holds the base and the shapes blocks share."""
