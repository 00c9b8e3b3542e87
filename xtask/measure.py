"""Runs a command as a whole process and prints, as one JSON line, its
wall-clock seconds and peak resident memory (os.wait4's ru_maxrss), so
omfang and its Python peer are measured the same way."""
import json
import os
import subprocess
import sys
import tempfile
import time

with tempfile.TemporaryFile() as out:
    start = time.perf_counter()
    proc = subprocess.Popen(sys.argv[1:], stdout=out, stderr=out)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    out.seek(0)
    text = out.read().decode(errors="replace")
if status != 0:
    sys.stderr.write(text)
    sys.exit(1)
print(json.dumps({"seconds": seconds, "peak_rss_mib": usage.ru_maxrss / 1024, "output": text[-300:]}))
