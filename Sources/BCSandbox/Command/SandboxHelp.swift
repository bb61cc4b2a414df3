/// The `--help` texts of `bc-sandbox` and its subcommands.
enum SandboxHelp {
    static let topics = ["serve", "seed", "fault", "dump", "requests"]

    static func text(for topic: String?) -> String {
        switch topic {
        case "serve": serve
        case "seed": seed
        case "fault": fault
        case "dump", "requests": inspect
        default: overview
        }
    }

    static let overview = """
        bc-sandbox: a local BigCommerce store that answers like the real API, for trying membersync and for tests.

        USAGE
          bc-sandbox serve --data FILE [--port N] [--port-file FILE] [--store-hash HASH] [--quota N] [--window-ms MS]
                           [--token-file FILE] [--tokens-file FILE] [--option NAME=VALUE ...]   (bc-sandbox help serve)
          bc-sandbox seed --url URL group NAME [--id N]
          bc-sandbox seed --url URL customer --email E --first-name F --last-name L [--group ID] [--notes N]
          bc-sandbox seed --url URL order --customer-id N --total T [--status-id S]
          bc-sandbox dump --url URL
          bc-sandbox fault --url URL KIND [options]      (bc-sandbox help fault)
          bc-sandbox requests --url URL [--clear]
          bc-sandbox help [serve|seed|fault|dump|requests]

        QUICK START
          export BC_SANDBOX_TOKEN=my-test-token       # default when unset: sandbox-token
          bc-sandbox serve --data /tmp/store.sqlite --port 8787 &
          bc-sandbox seed --url http://127.0.0.1:8787 group Members
          bc-sandbox seed --url http://127.0.0.1:8787 customer --email ada@example.test --first-name Ada --last-name Kovacs
          curl -H "X-Auth-Token: $BC_SANDBOX_TOKEN" http://127.0.0.1:8787/stores/sandbox/v3/customers
          bc-sandbox fault --url http://127.0.0.1:8787 status --status 500 --count 2
          bc-sandbox dump --url http://127.0.0.1:8787

        Point membersync at http://127.0.0.1:PORT with store hash "sandbox" (or --store-hash) and the same token.
        The store API lives under /stores/HASH/v3/customers, /v2/customer_groups and /v2/orders. The admin API
        (seeding, dump, faults, quota, request log) lives under /__sandbox/; it needs no token and costs no quota.
        """

    static var serve: String {
        let width = SandboxConfiguration.options.map { $0.name.count + $0.values.count + 1 }.max() ?? 0
        let options = SandboxConfiguration.options.map { option in
            let left = "\(option.name)=\(option.values)"
            let padding = String(repeating: " ", count: width - left.count + 2)
            return "  \(left)\(padding)\(option.summary) [default: \(option.defaultValue)]"
        }
        return serveText + "\n\n" + options.joined(separator: "\n")
    }

    private static let serveText = """
        bc-sandbox serve --data FILE [options]

        Serves the store on 127.0.0.1 until SIGTERM or SIGINT, then exits 0. Prints exactly one line,
        "bc-sandbox listening on http://127.0.0.1:PORT", when ready. Data persists in FILE (SQLite).
        A bad option or value exits 64 with a message saying what is wrong.

          --data FILE          SQLite file for the store (created when missing)
          --port N             port to listen on, 0-65535; 0 (default) picks a free one
          --port-file FILE     also write the port to FILE
          --store-hash HASH    store hash in /stores/HASH/... (default: sandbox); others get 404
          --quota N            requests per window, at least 1 (default 150; Pro plans have 450)
          --window-ms MS       rate-limit window, 1-86400000 (default 30000); shorten it for fast tests
          --token-file FILE    read the API token from FILE
          --tokens-file FILE   further tokens with chosen scopes, one "TOKEN SCOPE,SCOPE..." a line
          --option NAME=VALUE  a behaviour switch (below); repeat it for several

        TOKENS
        The token comes from --token-file or the BC_SANDBOX_TOKEN environment variable, never from the
        command line; without either it is "sandbox-token". It holds store_v2_customers and
        store_v2_orders_read_only. BC_SANDBOX_READONLY_TOKEN adds a token with store_v2_customers_read_only
        and store_v2_orders_read_only (its writes get 403). BC_SANDBOX_TOKENS, entries separated by ";", and
        --tokens-file add tokens with exactly the scopes listed ("#" starts a comment; a token alone has none):

          export BC_SANDBOX_TOKENS="orders-only store_v2_orders_read_only; no-scopes"

        Scopes: store_v2_customers (customers and groups, read and write), store_v2_customers_read_only,
        store_v2_orders, store_v2_orders_read_only. A request whose scope the token lacks gets 403 with the
        v3 error body naming the scope it needs.

        BEHAVIOUR SWITCHES
        Where the real API's behaviour is unconfirmed the sandbox takes the stricter reading; --option
        changes it, e.g. --option partial_batches=true --option error_keys=generic.
        """

    static let seed = """
        bc-sandbox seed --url URL group NAME [--id N]
        bc-sandbox seed --url URL customer --email E --first-name F --last-name L
                        [--group ID] [--notes N] [--company C] [--phone P] [--password P]
        bc-sandbox seed --url URL order --customer-id N --total T [--status-id S] [--date-created ISO]

        Adds data to a running sandbox as a shopper or store admin would (no API quota spent). Prints the new
        id. Customers get a unique email (compared without case); order totals are decimals such as 49.95;
        customer id 0 is a guest order; status 10 = Completed, 11 = Awaiting Fulfillment (default).
        """

    static let fault = """
        bc-sandbox fault --url URL KIND [options]
        bc-sandbox fault --url URL clear

        Makes the store misbehave on purpose. --count N limits a fault to the next N matching requests;
        --method M and --path SUFFIX (e.g. /v3/customers) narrow what matches.

          status --status S [--count N] [--echo-headers] [--header "Name: value"]
                                        answer S instead of serving (the body echoes request headers
                                        with --echo-headers, for secret-leak tests)
          drop-response [--count N]     apply the request, then close the connection without answering
          latency --ms M [--count N]    wait M ms before serving (outside the store lock)
          rate-limit-without-headers --count N   429 with no rate-limit headers (platform overload)
          rate-limit-as-500 --count N   500 where a 429 would be (its body and headers, none left)
          reject-email --email E [--count N] [--method M] [--disable]
                                        a create/update batch holding E gets 422 as a whole;
                                        --disable lifts the rejections of E
          lowercase-headers [--disable] send header names in lower case
          put-without-group-resets [--disable]   a PUT without customer_group_id resets the group to 0

        Quota: POST /__sandbox/quota {"quota":150,"window_ms":30000,"spend":N,"spend_per_request":N}.
        """

    static let inspect = """
        bc-sandbox dump --url URL             print groups, customers (with notes, has_password,
                                              force_password_reset, trigger_account_created_notification)
                                              and orders as JSON
        bc-sandbox requests --url URL         list the store requests served: seq, method, path, status, items
        bc-sandbox requests --url URL --clear forget them
        """
}
