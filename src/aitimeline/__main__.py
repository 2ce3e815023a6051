from aitimeline.cli import main

raise SystemExit(main())
