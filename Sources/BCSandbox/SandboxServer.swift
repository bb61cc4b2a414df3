import Foundation
import Synchronization

/// A sandbox store served over HTTP on 127.0.0.1, usable in-process (tests) or from the `bc-sandbox` command.
///
/// ```swift
/// let server = try SandboxServer(SandboxConfiguration(dataPath: path))
/// try server.start()
/// // http://127.0.0.1:\(server.port)/stores/sandbox/v3/customers
/// server.stop()
/// ```
public final class SandboxServer: Sendable {
    public let configuration: SandboxConfiguration
    private let gateway: StoreGateway
    private let admin: AdminAPI
    private let http: Mutex<HTTPServer?> = Mutex(nil)
    private let boundPort = Mutex<UInt16>(0)

    /// Opens (or creates) the data file; nothing listens until `start()`.
    public init(_ configuration: SandboxConfiguration) throws {
        self.configuration = configuration
        let store = try SandboxStore(path: configuration.dataPath, emailsIgnoreCase: configuration.emailsIgnoreCase)
        let context = StoreContext(store: store, configuration: configuration, faults: FaultInjector())
        let limiter = RateLimiter(
            quota: configuration.quota,
            windowMilliseconds: configuration.windowMilliseconds,
            clock: configuration.clock
        )
        let log = RequestLog()
        self.gateway = StoreGateway(context: context, limiter: limiter, log: log)
        self.admin = AdminAPI(context: context, limiter: limiter, log: log)
    }

    /// The port the server listens on; 0 before `start()`.
    public var port: Int { Int(boundPort.withLock { $0 }) }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// The store API root, `http://127.0.0.1:PORT/stores/HASH`.
    public var storeURL: URL {
        baseURL.appendingPathComponent("stores").appendingPathComponent(configuration.storeHash)
    }

    /// Binds the port and starts serving on background threads.
    public func start() throws {
        let server = HTTPServer { [gateway, admin] request in Self.route(request, gateway: gateway, admin: admin) }
        let port = try server.start(port: configuration.port)
        http.withLock { $0 = server }
        boundPort.withLock { $0 = port }
    }

    /// Stops listening and closes open connections.
    public func stop() {
        let server = http.withLock { server in
            defer { server = nil }
            return server
        }
        server?.stop()
    }

    /// Handles one request without a socket (for tests of the routing itself).
    public func respond(to request: HTTPRequest) -> HTTPResponse {
        Self.route(request, gateway: gateway, admin: admin)
    }

    private static func route(_ request: HTTPRequest, gateway: StoreGateway, admin: AdminAPI) -> HTTPResponse {
        if request.path.hasPrefix("/__sandbox/") { return admin.handle(request) }
        if request.path.hasPrefix("/stores/") { return gateway.handle(request) }
        return AdminAPI.error(404, "nothing at \(request.path); the store API is under /stores/{hash}/")
    }
}
