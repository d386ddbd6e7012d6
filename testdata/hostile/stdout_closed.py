# sys.stdout closed by the script: print raises ValueError.
import sys
sys.stdout.close()
print("nowhere")
