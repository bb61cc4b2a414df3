import Testing

@testable import MemberSync

struct AsyncSemaphoreTests {
    @Test func cancelledWaiterGivesUpWithoutTakingAPermit() async throws {
        let semaphore = AsyncSemaphore(permits: 1)
        try await semaphore.acquire()

        let waiter = Task { try await semaphore.acquire() }
        waiter.cancel()
        let result = await waiter.result
        await semaphore.release()

        #expect(throws: CancellationError.self) { try result.get() }
        try await semaphore.acquire()
    }

    @Test func releaseHandsThePermitToTheLongestWaiter() async throws {
        let semaphore = AsyncSemaphore(permits: 1)
        try await semaphore.acquire()
        let waiter = Task { try await semaphore.acquire() }
        while await semaphore.waiterCount == 0 { await Task.yield() }

        await semaphore.release()

        try await waiter.value
        #expect(await semaphore.waiterCount == 0)
    }
}
