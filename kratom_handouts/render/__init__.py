"""The rendering engine: a validated handout, a layout and labels in, PDF bytes out."""
