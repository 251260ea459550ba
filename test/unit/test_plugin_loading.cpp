// What the loader says before and while it runs a plugin's code: the ELF header's machine and
// class (elf_identity.hpp), and the crash guard's message (crash_guard.hpp).
#include "plugin/crash_guard.hpp"
#include "plugin/elf_identity.hpp"

#include <catch2/catch.hpp>

#include <elf.h>

#include <csignal>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace mafio;

namespace {

std::string header_of_this_process() {
    std::ifstream in("/proc/self/exe", std::ios::binary);
    std::string bytes(64, '\0');
    in.read(bytes.data(), 64);
    return bytes;
}

ElfIdentity identity(uint8_t cls, uint16_t machine, uint16_t type = ET_DYN,
                     uint8_t data = ELFDATA2LSB) {
    ElfIdentity id;
    id.elf_class = cls;
    id.data = data;
    id.machine = machine;
    id.type = type;
    return id;
}

// Runs `body` in a forked child with stderr on a pipe; returns (waitpid status, stderr).
template <class F> std::pair<int, std::string> in_child(F body) {
    int p[2];
    REQUIRE(::pipe(p) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        // Catch2's own fatal-signal handlers would report (and survive) in the child; the guard
        // is to find the default action behind it, as in the agent.
        for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT})
            std::signal(sig, SIG_DFL);
        ::dup2(p[1], STDERR_FILENO);
        ::close(p[0]);
        body();
        ::_exit(0);
    }
    ::close(p[1]);
    std::string err;
    char buf[512];
    for (ssize_t n; (n = ::read(p[0], buf, sizeof buf)) > 0;)
        err.append(buf, static_cast<size_t>(n));
    ::close(p[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return {status, err};
}

} // namespace

TEST_CASE("elf: this process's own header matches what the host says it is") {
    std::string h = header_of_this_process();
    auto id = parse_elf_identity(reinterpret_cast<const unsigned char *>(h.data()), h.size());
    REQUIRE(id);
    ElfIdentity host = host_elf_identity();
    CHECK(id->elf_class == host.elf_class);
    CHECK(id->data == host.data);
    CHECK(id->machine == host.machine);
    CHECK(elf_mismatch(identity(host.elf_class, host.machine), host).empty());
}

TEST_CASE("elf: not a header") {
    const unsigned char text[] = "hello, world, this is text and long enough";
    CHECK_FALSE(parse_elf_identity(text, sizeof text));
    const unsigned char shortish[] = {0x7f, 'E', 'L', 'F', 2, 1};
    CHECK_FALSE(parse_elf_identity(shortish, sizeof shortish));
}

TEST_CASE("elf: e_machine is read in the file's byte order") {
    unsigned char h[64] = {0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2MSB};
    h[EI_NIDENT + 1] = ET_DYN; // big-endian: the low byte second
    h[EI_NIDENT + 3] = EM_PPC64;
    auto id = parse_elf_identity(h, sizeof h);
    REQUIRE(id);
    CHECK(id->type == ET_DYN);
    CHECK(id->machine == EM_PPC64);
}

TEST_CASE("elf: what another machine, class, byte order or type is called") {
    ElfIdentity x86 = identity(ELFCLASS64, EM_X86_64);
    CHECK(elf_mismatch(identity(ELFCLASS64, EM_AARCH64), x86) ==
          "built for aarch64, this host is x86_64");
    CHECK(elf_mismatch(identity(ELFCLASS32, EM_386), x86) ==
          "built for i386 (32-bit), this host is x86_64 (64-bit)");
    CHECK(elf_mismatch(identity(ELFCLASS64, EM_PPC64, ET_DYN, ELFDATA2MSB),
                       identity(ELFCLASS64, EM_PPC64))
              .find("big-endian") != std::string::npos);
    CHECK(elf_mismatch(identity(ELFCLASS64, 0x1234), x86).find("machine 0x1234") !=
          std::string::npos);
    CHECK(elf_mismatch(identity(ELFCLASS64, EM_X86_64, ET_REL), x86).find("object file") !=
          std::string::npos);
    CHECK(elf_mismatch(identity(ELFCLASS64, EM_X86_64, ET_EXEC), x86).find("executable") !=
          std::string::npos);
    // A host whose machine is unknown at compile time compares only class and byte order.
    CHECK(elf_mismatch(identity(ELFCLASS64, EM_AARCH64), identity(ELFCLASS64, 0)).empty());
}

TEST_CASE("crash guard: a crash on the loading thread names the file, then kills") {
    auto [status, err] = in_child([] {
        LoadCrashGuard guard("/plugins/boom-V1.so");
        guard.phase(LoadCrashGuard::Phase::entry);
        ::raise(SIGSEGV);
    });
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGSEGV);
    CHECK_THAT(err, Catch::Contains("error plugin file /plugins/boom-V1.so crashed while loading "
                                    "(signal 11, SIGSEGV, in its entry function"));
    CHECK(err.back() == '\n');
}

TEST_CASE("crash guard: the phase is named; a crash elsewhere or later is not blamed on it") {
    auto [status, err] = in_child([] {
        LoadCrashGuard guard("/plugins/ctor-V1.so");
        ::raise(SIGBUS);
    });
    CHECK(WTERMSIG(status) == SIGBUS);
    CHECK_THAT(err, Catch::Contains("(signal 7, SIGBUS, in a constructor run by dlopen)"));

    auto [status2, err2] = in_child([] {
        LoadCrashGuard guard("/plugins/other-V1.so");
        std::thread([] { ::raise(SIGFPE); }).join();
    });
    CHECK(WTERMSIG(status2) == SIGFPE);
    CHECK(err2.find("other-V1.so") == std::string::npos);

    auto [status3, err3] = in_child([] {
        { LoadCrashGuard guard("/plugins/done-V1.so"); }
        ::raise(SIGILL);
    });
    CHECK(WTERMSIG(status3) == SIGILL);
    CHECK(err3.find("done-V1.so") == std::string::npos);
}
