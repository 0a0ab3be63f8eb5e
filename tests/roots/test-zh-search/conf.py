extensions = ["sphinxext.translation.zh_search"]
language = "zh_CN"
