/// Help texts of the command line.
enum CommandHelp {
    static let overview = """
        membersync: keeps a BigCommerce store's customers in step with MC Trade

        usage: membersync COMMAND --config FILE [options]

        commands:
          sync        apply the pending MC Trade changes once, then exit
                      --full     a full sync now (compare everything, repair drift)
                      --dry-run  print what would be written, write nothing
                      --force    let a full sync past its safety rails
                      --wait S   wait up to S seconds for another process on the state file (default 60)
          run         the service: follow the change log, daily full sync; stops on SIGTERM/SIGINT
          status      cursor, lag, pending and failed profiles, last full sync
          report      every profile not uploaded or failed, and why  [--format text|csv|json]
          retry       send refused profiles again  [PROFILE_ID ...]
          groups      the store's customer groups (ids for MC Trade's settings)
          revenue     record store orders of linked customers in MC Trade's profile_revenue once
                      --since DATE  back-fill from DATE (YYYY-MM-DD or ISO 8601) instead of the last mark

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
                While the service runs, 'sync --full' asks it to run the full sync instead.
                """
        case "run":
            return """
                usage: membersync run --config FILE

                Follows the change log every sync.poll_interval_ms, runs the full sync daily at MC Trade's
                auto_sync_time (in the configured time zone) and when requested, and records store orders in
                MC Trade's profile_revenue every revenue.poll_interval_seconds and after every full sync (when
                revenue.enabled). SIGTERM or SIGINT stop it after the pass in flight.
                """
        case "revenue":
            return """
                usage: membersync revenue --config FILE [--since DATE]

                Lists the store's orders modified since the high-water mark (minus revenue.overlap_minutes),
                or since DATE (YYYY-MM-DD in the configured time zone, or ISO 8601 with a zone), and records
                one row per order of a linked customer in MC Trade's profile_revenue, updated in place when
                the order changes. Guest orders and orders of unlinked customers are not recorded. It may
                run while the service runs; the service itself does this every revenue.poll_interval_seconds.
                """
        default:
            return nil
        }
    }
}
