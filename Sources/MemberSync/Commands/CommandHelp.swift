/// Help texts of the command line.
enum CommandHelp {
    static let overview = """
        membersync: keeps a BigCommerce store's customers in step with MC Trade

        usage: membersync COMMAND --config FILE [options]

        commands:
          sync        apply the pending MC Trade changes once, then exit
                      --full     a full sync now (compare everything, repair drift)
                      --dry-run  print what would be written, write nothing
                      --force    let this pass past the safety rails (group removals above the share)
                      --wait S   wait up to S seconds for another process on the state file (default 60)
          run         the service: follow the change log, daily full sync; stops on SIGTERM/SIGINT
          status      health: cursor, lag, pending and failed profiles, last and next full sync; exit 1 when unhealthy
          explain     why a profile is (not) in a group, its customer, what was sent  PROFILE_ID
          report      every profile not uploaded or failed, and the email conflicts  [--format text|csv|json]
          check       configuration, token, scopes, groups, MC Trade's schema and revenue write, each PASS or FAIL
          retry       send refused profiles again  [PROFILE_ID ...]
          groups      the store's customer groups (ids for MC Trade's settings)
          revenue     record store orders of linked customers in MC Trade's profile_revenue once
                      --since DATE  back-fill from DATE (YYYY-MM-DD or ISO 8601) instead of the last mark

        'membersync COMMAND --help' explains one command.

        The access token comes from BIGCOMMERCE_ACCESS_TOKEN or bigcommerce.access_token_file, never
        from the command line. Exit codes: 0 done, 1 failed, 2 some profiles failed, 64 bad usage,
        78 bad configuration.
        """

    static func text(for command: String) -> String? {
        switch command {
        case "sync":
            return """
                usage: membersync sync --config FILE [--full] [--dry-run] [--force] [--wait SECONDS]

                Without --full: reads MC Trade's change log after the cursor and writes only what changed
                (a full sync instead when one is owed: first start, change-log gap, settings change).
                With --full: evaluates every profile, lists every store customer and repairs drift.
                --force lets the pass go past the safety rails (a full sync with no profiles, or more group
                removals than sync.max_group_removal_share); use it once MC Trade's data is known right.
                A full sync (not --dry-run) ends with a revenue pass, as the service's does.
                While the service runs, 'sync --full' and 'sync --force' ask it to do so instead.
                """
        case "run":
            return runHelp
        case "revenue":
            return """
                usage: membersync revenue --config FILE [--since DATE]

                Lists the store's orders modified since the high-water mark (minus revenue.overlap_minutes),
                or since DATE (YYYY-MM-DD in the configured time zone, or ISO 8601 with a zone), and records
                one row per order of a linked customer in MC Trade's profile_revenue, updated in place when
                the order changes. Guest orders and orders of unlinked customers are not recorded. Customers
                adopted or relinked since the last pass get their older orders listed by customer_id. It may
                run while the service runs; the service itself does this every revenue.poll_interval_seconds.
                Needs the state file of an agent that has run.
                """
        default:
            return operatorHelp[command]
        }
    }

    static let runHelp = """
        usage: membersync run --config FILE

        The service. Follows the change log every sync.poll_interval_ms, runs the full sync daily at MC
        Trade's auto_sync_time (in the configured time zone) and when 'sync --full' asks for it, and records
        store orders in MC Trade's profile_revenue every revenue.poll_interval_seconds, beside the passes,
        and after every full sync (when revenue.enabled).
        Under systemd (Type=notify) it sends READY=1, STATUS= lines and WATCHDOG=1 pings to $NOTIFY_SOCKET.
        SIGTERM or SIGINT: stops within about 7 s; a pass, revenue pass or metrics write still running is
        cancelled, then abandoned; the pass's work stays in the outbox, and the revenue mark does not move. SIGHUP: re-reads logging.level and sync.poll_interval_ms (other keys need a restart).
        Writes metrics.file (Prometheus text) after every pass.
        """

    static let operatorHelp: [String: String] = [
        "status": """
        usage: membersync status --config FILE [--offline] [--max-lag N] [--format text|json]

        Cursor and lag behind MC Trade's change log, pending and failed profiles, the last full sync
        (when, result, counts) and the next, and whether the store answers and accepts the token
        (one GET; --offline skips it, and needs no access token), and the last revenue pass. Exit 1
        when there is no state file yet, and when unhealthy: no successful full sync for 26 hours,
        lag over --max-lag changes (default 1000), writes stopped, or the token refused.
        """,
        "explain": """
        usage: membersync explain PROFILE_ID --config FILE [--format text|json]

        Evaluates the profile against MC Trade as it is now: the group it belongs in and the rule and
        organization that decide it (or why none), its linked customer, what was last sent and when,
        whether it waits or failed in the outbox, and its report rows. Exit 1 when the profile is unknown.
        """,
        "report": """
        usage: membersync report --config FILE [--format text|csv|json]

        Every profile not uploaded or failed, with its reason code, then the conflicts: emails shared
        by several profiles (duplicate_email) and emails held by another customer (email_conflict).
        """,
        "check": """
        usage: membersync check --config FILE

        Checks the configuration, MC Trade's schema and settings, that this user may write
        profile_revenue (a write transaction begun and rolled back), the token (GET customer groups),
        its scopes (GET customers, then an empty PUT /v3/customers that changes no customer, to prove
        the modify scope; GET orders) and that the groups in MC Trade's settings exist.
        Prints PASS or FAIL per check with what to do; exit 1 on any FAIL.
        """,
        "retry": """
        usage: membersync retry --config FILE [PROFILE_ID ...]

        Releases refused profiles (all, or the ones named) so that the next pass sends them again.
        Exit 1 when none of the named profiles is known to MC Trade or to the agent.
        """,
        "groups": """
        usage: membersync groups --config FILE

        Lists the store's customer groups, id and name, to choose in MC Trade's BigCommerce settings.
        """,
    ]
}
