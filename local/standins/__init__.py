"""Stand-ins for the services outside AWS that the CSMS talks to (an OpenADR VTN, a V2G PKI's
OCSP responder and contract-certificate provider), to try and test those paths locally."""
