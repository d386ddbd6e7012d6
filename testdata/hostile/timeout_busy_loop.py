# gilkit-test: timeout: 1s
# gilkit-test: stdout: "spinning\n"
print("spinning")
while True:
    pass
