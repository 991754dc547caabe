# Type information for the parts of the `ocpp` package the CSMS uses (it ships none).
