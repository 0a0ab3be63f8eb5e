extensions = ["html_hygiene"]
