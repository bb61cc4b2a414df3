import BCSandbox
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

struct AdminAndServerTests {
    @Test func healthAnswersOk() async throws {
        try await withSandbox { (sandbox) async throws in
            let data = try await sandbox.admin.send("GET", "health")
            #expect(String(decoding: data, as: UTF8.self) == #"{"ok":true}"#)
        }
    }

    @Test func resetWipesDataFaultsQuotaAndLog() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.seedCustomers(2)
            _ = try await sandbox.admin.createGroup(name: "Members")
            try await sandbox.admin.addFault(["kind": "status", "status": 500])
            _ = try await sandbox.call("GET", "/v3/customers")
            try await sandbox.admin.reset()
            let dump = try await sandbox.admin.dump()
            #expect(dump.customers.isEmpty && dump.groups.isEmpty && dump.orders.isEmpty)
            #expect(try await sandbox.admin.requests().isEmpty)
            #expect(try await sandbox.admin.quota().left == 150)
            #expect(try await sandbox.call("GET", "/v3/customers").status == 200)
            #expect(try await sandbox.admin.createCustomers([newCustomer("again@example.test")]) == [1])
        }
    }

    @Test func adminEditsMoveDateModifiedAndKeepPasswords() async throws {
        try await withSandbox { (sandbox) async throws in
            let ids = try await sandbox.admin.createCustomers([
                SandboxCustomerSeed(
                    email: "g@example.test",
                    firstName: "Grace",
                    lastName: "Hollis",
                    notes: "VIP",
                    password: "pw"
                )
            ])
            sandbox.clock.advance(milliseconds: 3_000)
            try await sandbox.admin.updateCustomer(id: ids[0], fields: ["phone": "555"])
            let customer = try #require(try await sandbox.admin.dump().customer(email: "G@EXAMPLE.TEST"))
            #expect(customer.phone == "555")
            #expect(customer.hasPassword)
            #expect(customer.notes == "VIP")
            #expect(customer.dateModified > customer.dateCreated)
            #expect(customer.triggerAccountCreatedNotification == false)
        }
    }

    @Test func adminRefusesDuplicateEmailAndDeletesCustomers() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.seedCustomers(1)
            await #expect(throws: SandboxAdminError.self) {
                try await sandbox.admin.createCustomers([newCustomer("PERSON1@example.test")])
            }
            try await sandbox.admin.deleteCustomer(id: 1)
            #expect(try await sandbox.admin.dump().customers.isEmpty)
            await #expect(throws: SandboxAdminError.self) { try await sandbox.admin.deleteCustomer(id: 1) }
        }
    }

    @Test func adminSeedingWithADuplicateEmailCreatesNoneOfTheBatch() async throws {
        try await withSandbox { (sandbox) async throws in
            try await sandbox.seedCustomers(1)
            await #expect(throws: SandboxAdminError.self) {
                try await sandbox.admin.createCustomers([
                    newCustomer("first@example.test"), newCustomer("second@example.test"),
                    newCustomer("Person1@example.test"),
                ])
            }
            #expect(try await sandbox.admin.dump().customers.map(\.email) == ["person1@example.test"])
            #expect(try await sandbox.admin.createCustomers([newCustomer("first@example.test")]).count == 1)
        }
    }

    @Test func forcedGroupIdIsKept() async throws {
        try await withSandbox { (sandbox) async throws in
            #expect(try await sandbox.admin.createGroup(name: "Members", id: 4) == 4)
            #expect(try await sandbox.admin.createGroup(name: "Next") == 5)
        }
    }

    @Test func dataSurvivesARestart() async throws {
        let fixture = try SandboxFixture()
        defer { fixture.close() }
        try await fixture.seedCustomers(2)
        fixture.server.stop()
        let reopened = try SandboxServer(fixture.server.configuration)
        try reopened.start()
        defer { reopened.stop() }
        let dump = try await SandboxAdmin(baseURL: reopened.baseURL, session: fixture.session).dump()
        #expect(dump.customers.count == 2)
    }

    @Test func servesManyRequestsOnOneKeepAliveConnection() throws {
        let fixture = try SandboxFixture()
        defer { fixture.close() }
        let socket = try LoopbackSocket(port: fixture.server.port)
        defer { socket.close() }
        let request = "GET /__sandbox/health HTTP/1.1\r\nHost: x\r\n\r\n"
        try socket.send(String(repeating: request, count: 3))
        let answer = try socket.receive(until: { $0.components(separatedBy: "{\"ok\":true}").count == 4 })
        #expect(answer.components(separatedBy: "HTTP/1.1 200 OK").count == 4)
    }

    @Test func expectContinueGetsAnInterimAnswer() throws {
        let fixture = try SandboxFixture()
        defer { fixture.close() }
        let socket = try LoopbackSocket(port: fixture.server.port)
        defer { socket.close() }
        try socket.send(
            "POST /__sandbox/groups HTTP/1.1\r\nHost: x\r\nContent-Length: 16\r\nExpect: 100-continue\r\n\r\n"
        )
        #expect(try socket.receive(until: { $0.contains("\r\n\r\n") }).hasPrefix("HTTP/1.1 100 Continue"))
        try socket.send(#"{"name":"Later"}"#)
        #expect(try socket.receive(until: { $0.contains("Later") }).contains("200 OK"))
    }
}

/// A blocking loopback client for raw HTTP checks.
struct LoopbackSocket {
    struct Failure: Error {}
    let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else { throw Failure() }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(descriptor, bytes, bytes.count, 0) == bytes.count else { throw Failure() }
    }

    func receive(until done: (String) -> Bool) throws -> String {
        var text = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !done(text) {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { throw Failure() }
            text += String(decoding: buffer[0..<count], as: UTF8.self)
        }
        return text
    }

    func close() { _ = Glibc.close(descriptor) }
}
