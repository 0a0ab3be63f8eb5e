extensions = ["includenodoc"]
