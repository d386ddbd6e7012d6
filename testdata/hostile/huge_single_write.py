# One 8 MB write through the binary layer.
import sys
sys.stdout.buffer.write(b"z" * (8 << 20))
sys.stdout.buffer.write(b"\nend\n")
