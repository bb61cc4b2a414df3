import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `HTTPTransport` over an ephemeral `URLSession`: no cache, no cookies, no redirects followed, and
/// the platform's certificate checks left on. Cancelling the calling task cancels the request.
///
/// TODO: on Linux, URLSession keeps a core busy while it waits for a slow answer and notices a
/// connection closed without an answer only at the request timeout; a transport on libcurl's easy
/// interface would avoid both, which matters when the agent shares a small host with MC Trade.
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession

    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpMaximumConnectionsPerHost = 16
        session = URLSession(configuration: configuration, delegate: RedirectRefuser(), delegateQueue: nil)
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let urlRequest = makeURLRequest(request)
        let handle = TaskHandle()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let task = session.dataTask(with: urlRequest) { data, response, error in
                    continuation.resume(with: Self.result(data: data, response: response, error: error))
                }
                handle.start(task)
            }
        } onCancel: {
            handle.cancel()
        }
    }

    private func makeURLRequest(_ request: HTTPRequest) -> URLRequest {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        urlRequest.httpBody = request.body
        urlRequest.cachePolicy = .reloadIgnoringLocalCacheData
        urlRequest.httpShouldHandleCookies = false
        urlRequest.timeoutInterval = max(request.timeout.seconds, 0.001)
        for (name, value) in request.headers {
            urlRequest.setValue(value, forHTTPHeaderField: name)
        }
        return urlRequest
    }

    private static func result(data: Data?, response: URLResponse?, error: Error?) -> Result<HTTPResponse, Error> {
        if let error {
            return .failure(transportError(for: error))
        }
        guard let http = response as? HTTPURLResponse else {
            return .failure(HTTPTransportError(kind: .answerLost, reason: "answer is not HTTP"))
        }
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name] = value }
        }
        return .success(HTTPResponse(status: http.statusCode, headers: HTTPHeaders(fields), body: data ?? Data()))
    }

    /// Sorts a `URLError` by whether the request can have reached the server.
    static func transportError(for error: Error) -> Error {
        guard let urlError = error as? URLError else {
            return HTTPTransportError(kind: .answerLost, reason: "transport failure")
        }
        switch urlError.code {
        case .cancelled:
            return CancellationError()
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet, .badURL,
            .unsupportedURL, .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected,
            .clientCertificateRequired:
            return HTTPTransportError(kind: .notSent, reason: reason(for: urlError.code))
        default:
            return HTTPTransportError(kind: .answerLost, reason: reason(for: urlError.code))
        }
    }

    private static func reason(for code: URLError.Code) -> String {
        switch code {
        case .timedOut: return "timed out"
        case .networkConnectionLost: return "connection lost"
        case .cannotConnectToHost: return "connection refused"
        case .cannotFindHost, .dnsLookupFailed: return "unknown host"
        case .badServerResponse: return "malformed answer"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            return "tls handshake failed"
        default: return "url error \(code.rawValue)"
        }
    }
}

/// Answers every redirect with "don't follow": a redirect would carry the access token elsewhere.
private final class RedirectRefuser: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}

/// The data task of one `send`, so that cancellation can reach it whichever comes first.
private final class TaskHandle: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionDataTask?
    private var isCancelled = false

    func start(_ task: URLSessionDataTask) {
        lock.lock()
        self.task = task
        let cancelled = isCancelled
        lock.unlock()
        task.resume()
        if cancelled { task.cancel() }
    }

    func cancel() {
        lock.lock()
        isCancelled = true
        let task = self.task
        lock.unlock()
        task?.cancel()
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
