# subprocess with sys.executable.
import subprocess, sys
r = subprocess.run([sys.executable, "-c", "import sys; print('child', sys.argv[1:]); sys.exit(3)", "x"],
                   capture_output=True, text=True)
print(r.returncode, r.stdout.strip())
