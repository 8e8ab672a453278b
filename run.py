from statbotic.cli import main

raise SystemExit(main())
