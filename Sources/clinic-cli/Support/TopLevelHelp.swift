/// What `clinic --help` says below the usage line: the global options, the environment, the exit codes
/// (docs/CLI.md) and a few commands to start from.
enum TopLevelHelp {
    static let discussion = """
        GLOBAL OPTIONS (before or after the command):
          --db <path>     Database file (default: $CLINIC_DB, else
                          $XDG_DATA_HOME/clinic/clinic.sqlite).
          --as <handle>   Acting staff member (default: $CLINIC_ACTOR, else the
                          only open session for this database).
          --json          One JSON document on stdout; errors as JSON on stderr.
          --version       The version and the newest schema this binary knows.

        ENVIRONMENT:
          CLINIC_DB          The database file when --db is not given.
          CLINIC_ACTOR       The acting handle when --as is not given.
          CLINIC_PASSPHRASE  The passphrase, read only when stdin is not a terminal.
          CLINIC_NOW         An ISO-8601 clock; only for databases made by 'demo'
                             or 'init --test-clock' (ignored elsewhere).
          XDG_DATA_HOME      Where the default database lives (~/.local/share).
          XDG_STATE_HOME     Where session files live (~/.local/state).
          COLUMNS            The width tables fit, else the terminal's.
          PAGER              The pager for long output on a terminal.
          NO_COLOR           Set to turn colour off (only ever used on a terminal).

        EXIT CODES:
          0   done
          1   refused by a rule (the code says which: slot-taken, forbidden, ...)
          64  wrong on the command line (unknown option, malformed date, time or
              duration, a value out of range, actor-required)
          65  bad content inside an input file (CSV, change log), naming the line
          74  database or I/O error (locked, corrupt, schema-too-new)

        EXAMPLES:
          clinic demo --db demo.sqlite
          clinic login --as accueil
          clinic schedule --date 2026-12-01
          clinic book --patient MTL-000042 --with jdoe --service dn-30 \\
                      --at "2026-12-01 09:00"
          clinic slots --service dn-30 --from 2026-12-01 --until 2026-12-07
        """
}
