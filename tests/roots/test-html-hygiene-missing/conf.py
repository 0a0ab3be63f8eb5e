extensions = ["sphinxext.reader.html_hygiene"]
