# SIGTERM while one C call holds the GIL (it never checks for signals):
# killed by SIGTERM at once, as python is.
print("@@signal SIGTERM in 500ms", flush=True)
sum(range(10**12))
