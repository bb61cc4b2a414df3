import Foundation

/// What `bc-sandbox serve` reads from its command line, environment and files into a configuration.
///
/// Tokens come only from the environment and from files: a command line is visible to every user of the
/// machine, so no option takes a token.
enum ServeOptions {
    static let values: Set<String> = [
        "--data", "--port", "--port-file", "--store-hash", "--quota", "--window-ms", "--token-file", "--tokens-file",
        "--option",
    ]

    static func configuration(_ options: CommandOptions, environment: [String: String]) throws -> SandboxConfiguration {
        try options.check(command: "serve", values: values, repeatable: ["--option"])
        guard let data = options.value("--data") else { throw SandboxUsageError(message: "serve needs --data FILE") }
        var configuration = SandboxConfiguration(dataPath: data)
        configuration.port = UInt16(try options.integer("--port", in: 0...65_535) ?? 0)
        configuration.storeHash = options.value("--store-hash") ?? "sandbox"
        guard !configuration.storeHash.isEmpty, !configuration.storeHash.contains("/") else {
            throw SandboxUsageError(
                message: "--store-hash needs a hash such as abc123, got '\(configuration.storeHash)'"
            )
        }
        configuration.quota = try options.integer("--quota", in: 1...Int.max) ?? 150
        configuration.windowMilliseconds = try options.integer("--window-ms", in: 1...86_400_000) ?? 30_000
        configuration.token = try token(options, environment: environment)
        if let readOnly = environment["BC_SANDBOX_READONLY_TOKEN"], !readOnly.isEmpty {
            configuration.readOnlyToken = readOnly
        }
        configuration.scopedTokens = try scopedTokens(options, environment: environment)
        for assignment in options.allValues("--option") {
            guard let equals = assignment.firstIndex(of: "=") else {
                throw SandboxUsageError(message: "--option needs NAME=VALUE, got '\(assignment)'")
            }
            do {
                try configuration.setOption(
                    String(assignment[..<equals]),
                    to: String(assignment[assignment.index(after: equals)...])
                )
            } catch {
                throw SandboxUsageError(message: "--option: \(error.message); see 'bc-sandbox help serve'")
            }
        }
        return configuration
    }

    /// The token from `--token-file` or `BC_SANDBOX_TOKEN`, never from the command line itself.
    private static func token(_ options: CommandOptions, environment: [String: String]) throws -> String {
        if let path = options.value("--token-file") {
            let token = try read(path, what: "token file").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw SandboxUsageError(message: "the token file '\(path)' is empty") }
            return token
        }
        if let token = environment["BC_SANDBOX_TOKEN"], !token.isEmpty { return token }
        return "sandbox-token"
    }

    /// Tokens with chosen scopes, from `--tokens-file` and `BC_SANDBOX_TOKENS`: one `TOKEN SCOPE,SCOPE...` an
    /// entry (entries on lines, or separated by `;` in the variable), `#` starts a comment. Errors name the
    /// source and entry, never the token.
    static func scopedTokens(_ options: CommandOptions, environment: [String: String]) throws -> [String: Set<
        SandboxScope
    >] {
        var tokens: [String: Set<SandboxScope>] = [:]
        if let path = options.value("--tokens-file") {
            let entries = try read(path, what: "tokens file").split(separator: "\n", omittingEmptySubsequences: false)
            try add(entries, from: "the tokens file '\(path)'", to: &tokens)
        }
        if let text = environment["BC_SANDBOX_TOKENS"] {
            let entries = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == ";" }
            try add(entries, from: "BC_SANDBOX_TOKENS", to: &tokens)
        }
        return tokens
    }

    private static func add(
        _ entries: [Substring],
        from source: String,
        to tokens: inout [String: Set<SandboxScope>]
    ) throws {
        for (number, entry) in entries.enumerated() {
            let text = entry.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let token = words.first else { continue }
            guard words.count <= 2 else {
                throw SandboxUsageError(
                    message: "\(source), entry \(number + 1): needs 'TOKEN SCOPE,SCOPE...' (no spaces in the list)"
                )
            }
            guard tokens[token] == nil else {
                throw SandboxUsageError(message: "\(source), entry \(number + 1): the token is listed twice")
            }
            do {
                tokens[token] = try SandboxScope.list(words.count == 2 ? words[1] : "")
            } catch {
                throw SandboxUsageError(message: "\(source), entry \(number + 1): \(error.message)")
            }
        }
    }

    private static func read(_ path: String, what: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SandboxUsageError(message: "cannot read the \(what) '\(path)'")
        }
        return text
    }
}
