extensions = ["sphinxext.tutorial.includenodoc"]
