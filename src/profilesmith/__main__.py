from profilesmith.cli import entry

entry()
