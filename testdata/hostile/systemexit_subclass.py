# A SystemExit subclass with a custom code attribute.
class Done(SystemExit):
    pass
raise Done(6)
