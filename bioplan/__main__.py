from bioplan.cli import main

main()
