extensions = ["zh_search"]
language = "zh_CN"
