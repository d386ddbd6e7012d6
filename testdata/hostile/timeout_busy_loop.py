# gilkit-test: timeout: 3s
# gilkit-test: stdout: "spinning\n"
print("spinning")
while True:
    pass
