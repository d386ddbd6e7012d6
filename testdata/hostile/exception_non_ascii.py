# Non-ASCII text in a traceback and in the message.
def naïve():
    raise ValueError("größe ≠ 42 — 日本語")
naïve()
