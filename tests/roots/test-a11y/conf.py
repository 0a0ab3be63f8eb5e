extensions = ["a11y"]
