from charitybook.cli.app import main

main()
