import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Serves `/stores/{hash}/...`: store hash, token and scope, platform faults, quota, concurrency limits,
/// latency, the endpoint itself, lost answers, rate-limit headers and the request log, in that order.
final class StoreGateway: Sendable {
    let context: StoreContext
    let limiter: RateLimiter
    let log: RequestLog
    private let gate = ConcurrencyGate()

    init(context: StoreContext, limiter: RateLimiter, log: RequestLog) {
        self.context = context
        self.limiter = limiter
        self.log = log
    }

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        let started = context.configuration.clock()
        let prefix = "/stores/\(context.configuration.storeHash)/"
        var result: EndpointResult
        var headerMode = RateHeaders.normal
        if request.path.hasPrefix(prefix) {
            (result, headerMode) = process(request, path: String(request.path.dropFirst(prefix.count - 1)))
        } else {
            result = EndpointResult(response: APIResponses.notFound())
        }
        if headerMode != .none { addRateHeaders(to: &result.response, retryAfter: headerMode == .retryAfter) }
        for (name, value) in result.overridingHeaders { result.response.headers.set(name, value) }
        if context.faults.isEnabled(.lowercaseHeaders) {
            result.response.headers = HTTPHeaders(
                result.response.headers.fields.map { ($0.name.lowercased(), $0.value) }
            )
            result.response.lowercasesHeaderNames = true
        }
        log.append(
            LoggedRequestEntry(
                seq: 0,
                method: request.method,
                path: request.path,
                query: request.query,
                status: result.response.status,
                items: result.items,
                startedMilliseconds: started,
                finishedMilliseconds: context.configuration.clock(),
                dropped: result.response.dropsConnection
            )
        )
        return result.response
    }

    private enum RateHeaders { case none, normal, retryAfter }

    private func process(_ request: HTTPRequest, path: String) -> (EndpointResult, RateHeaders) {
        guard let token = request.headers["X-Auth-Token"], !token.isEmpty,
            let scopes = context.configuration.scopes(for: token)
        else {
            return (
                EndpointResult(response: APIResponses.v3Error(401, title: "The access token is missing or invalid.")),
                .normal
            )
        }
        let route: StoreRoute
        switch StoreRoute.resolve(method: request.method, path: path) {
        case nil: return (EndpointResult(response: APIResponses.notFound()), .normal)
        case .failure(let error): return (EndpointResult(response: error.response), .normal)
        case .success(let resolved): route = resolved
        }
        guard route.requiredScope.isGranted(by: scopes) else {
            return (EndpointResult(response: APIResponses.missingScope(route.requiredScope.name)), .normal)
        }
        if let early = platformFault(request, path: path) { return early }
        return serve(request, path: path, route: route)
    }

    /// Faults that stand for an overloaded platform, and the quota itself.
    private func platformFault(_ request: HTTPRequest, path: String) -> (EndpointResult, RateHeaders)? {
        let faults = context.faults
        if faults.take([.rateLimitWithoutHeaders], method: request.method, path: path) != nil {
            return (EndpointResult(response: APIResponses.tooManyRequests()), .none)
        }
        if faults.take([.rateLimitAs500], method: request.method, path: path) != nil {
            return (rateLimitAnsweredAs500(), .retryAfter)
        }
        guard limiter.acquire().allowed else {
            return (EndpointResult(response: APIResponses.tooManyRequests()), .retryAfter)
        }
        if let fault = faults.take([.status], method: request.method, path: path) {
            let result = EndpointResult(
                response: statusFaultResponse(fault, request: request),
                overridingHeaders: fault.extraHeaders
            )
            return (result, fault.status == 429 ? .retryAfter : .normal)
        }
        return nil
    }

    private func serve(_ request: HTTPRequest, path: String, route: StoreRoute) -> (EndpointResult, RateHeaders) {
        if let (key, limit) = route.concurrencyLimit(context.configuration) {
            guard gate.enter(key, limit: limit) else {
                let response = APIResponses.v3Error(429, title: "Too many concurrent requests")
                return (EndpointResult(response: response), .normal)
            }
            defer { gate.leave(key) }
            return run(request, path: path, route: route)
        }
        return run(request, path: path, route: route)
    }

    /// Latency, the endpoint, then a possible lost answer; none of the waiting happens under the store lock.
    private func run(_ request: HTTPRequest, path: String, route: StoreRoute) -> (EndpointResult, RateHeaders) {
        if let fault = context.faults.take([.latency], method: request.method, path: path) {
            usleep(useconds_t(fault.milliseconds * 1000))
        }
        var result: EndpointResult
        do {
            result = try route.handle(request, context: context)
        } catch {
            result = EndpointResult(response: APIResponses.v3Error(500, title: "Internal Server Error: \(error)"))
        }
        if context.faults.take([.dropResponse], method: request.method, path: path) != nil {
            result.response.dropsConnection = true
        }
        return (result, .normal)
    }

    private func statusFaultResponse(_ fault: Fault, request: HTTPRequest) -> HTTPResponse {
        let title = fault.status == 429 ? "Too many requests" : HTTPResponse.reason(fault.status)
        var body: [String: Any] = [
            "status": fault.status, "title": title, "type": APIResponses.typeURL, "errors": [String: String](),
        ]
        if fault.echoesHeaders {
            body["request_headers"] = Dictionary(request.headers.fields.map { ($0.name, $0.value) }) { first, _ in first
            }
        }
        return .json(fault.status, body)
    }

    /// The answer of a spent quota with status 500, as the store "occasionally" gives one: the 429's
    /// body and `X-Retry-After`, with no requests left.
    private func rateLimitAnsweredAs500() -> EndpointResult {
        var response = APIResponses.tooManyRequests()
        response.status = 500
        return EndpointResult(response: response, overridingHeaders: [("X-Rate-Limit-Requests-Left", "0")])
    }

    private func addRateHeaders(to response: inout HTTPResponse, retryAfter: Bool) {
        let snapshot = limiter.snapshot()
        response.headers.set("X-Rate-Limit-Time-Window-Ms", String(snapshot.windowMilliseconds))
        response.headers.set("X-Rate-Limit-Time-Reset-Ms", String(snapshot.resetMilliseconds))
        response.headers.set("X-Rate-Limit-Requests-Quota", String(snapshot.quota))
        response.headers.set("X-Rate-Limit-Requests-Left", String(snapshot.left))
        if retryAfter { response.headers.set("X-Retry-After", String(snapshot.retryAfterSeconds)) }
    }
}
