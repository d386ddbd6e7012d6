# gilkit-test: timeout: 3s
# gilkit-test: stdout: "summing\n"
# One C call that never checks for signals and holds the GIL.
print("summing", flush=True)
sum(range(10**12))
