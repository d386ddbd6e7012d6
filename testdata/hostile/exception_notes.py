# add_note shows under the exception.
e = RuntimeError("with notes")
e.add_note("first note")
e.add_note("second note")
raise e
