from profilesmith.cli import main

main()
