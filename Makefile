# The two commands of the README. Both install what a fresh Debian machine lacks.
.PHONY: demo test deps build

deps:
	@test -f /usr/include/sqlite3.h || (apt-get update && apt-get install -y libsqlite3-dev)

build: deps
	swift build

# A full sync of the demo data into the bundled sandbox store, then live changes and the change path.
demo: build
	.build/debug/membersync-demo

# Unit tests, sandbox tests and end-to-end tests (the built executables over loopback HTTP).
test: deps
	swift build --build-tests
	# The test run holds many descriptors at once (in-process sandboxes, SQLite files, sockets): raise
	# the soft limit to the hard one where a shell starts at 1024.
	ulimit -n "$$(ulimit -Hn)" 2>/dev/null; swift test --skip-build
