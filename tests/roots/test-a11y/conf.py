extensions = ["sphinxext.reader.a11y"]
