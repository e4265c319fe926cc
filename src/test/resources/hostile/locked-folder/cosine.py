"""Hostile submission: puts a locked folder where the checker's probe goes."""

import os

if __name__ == "__main__":
    os.unlink("/work/probe_cosine.py")
    os.makedirs("/work/probe_cosine.py/inner/deeper")
    os.chmod("/work/probe_cosine.py/inner", 0)
    os.chmod("/work/probe_cosine.py", 0o500)
    print("locked a folder in place of probe_cosine.py")
else:
    print("probe_cosine.py is a file again:", os.path.isfile("/work/probe_cosine.py"))
