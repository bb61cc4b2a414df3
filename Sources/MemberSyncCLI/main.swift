import Foundation
import MemberSync

setvbuf(stdout, nil, _IOLBF, 0)
let code = await MemberSyncCommand.main(Array(CommandLine.arguments.dropFirst()))
exit(code)
