"""kratom-handouts: plain-language YAML in, branded and accessible patient PDFs out."""

__version__ = "0.1.0"
