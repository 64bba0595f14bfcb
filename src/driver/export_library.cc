/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// export_library's default path (tvm/driver/export_library.h), also what
// Python's Module.export_library runs when no fcompile, addons or compiler
// options are given, so both write the same bytes:
//
//   modules, depth first from the root (each once)
//     llvm:        lib<i>.o, or lib<i>.<k>.o per part ("_save_object_files")
//     serialisable (graph executor factory, ...): packed into devc.bin,
//                  which devc.S puts in the symbol __tvm_dev_mblob
//   -> cd <temp folder> && <cc> -shared -fPIC -o <out> lib0.o ... devc.S
//
// The compiler runs inside the temporary folder with relative file names:
// the assembler records a source's name as given (an STT_FILE symbol), and a
// random folder name would make every export differ.
#include <tvm/driver/export_library.h>
#include <tvm/runtime/registry.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

namespace tvm {
namespace driver {

namespace {

namespace fs = std::filesystem;

/*! \brief The modules of the import tree, depth first, pre-order, each once (as PackModuleTree). */
std::vector<runtime::Module> CollectModules(const runtime::Module& root) {
  std::vector<runtime::Module> order;
  std::unordered_set<const Object*> seen;
  std::vector<runtime::Module> stack{root};
  while (!stack.empty()) {
    runtime::Module m = stack.back();
    stack.pop_back();
    if (!seen.insert(m.get()).second) continue;
    order.push_back(m);
    const auto& imports = m->imports();
    for (auto it = imports.rbegin(); it != imports.rend(); ++it) stack.push_back(*it);
  }
  return order;
}

const runtime::PackedFunc& GlobalFunc(const char* name) {
  const runtime::PackedFunc* f = runtime::Registry::Get(name);
  TVM_CHECK(f != nullptr, "RuntimeError") << "export_library needs the function " << name
                                          << ", which this build does not register";
  return *f;
}

/*!
 * \brief The system compiler links objects for this machine only: a module built
 *  for another architecture needs a cross compiler (Python: fcompile=...).
 */
void CheckHostCanLink(runtime::Module mod) {
  runtime::PackedFunc get_triple = mod.GetFunction("_get_target_triple");
  if (!get_triple.defined()) return;
  std::string triple = get_triple().operator std::string();
  std::string host = GlobalFunc("target.llvm_get_system_triple")().operator std::string();
  std::string arch = triple.substr(0, triple.find('-'));
  if (arch == host.substr(0, host.find('-'))) return;
  TVM_CHECK(false, "ValueError") << "this module was compiled for '" << triple
                                 << "', but the system compiler links for '" << host
                                 << "'; pass fcompile=tvm.contrib.cc.cross_compiler(\"<a " << arch
                                 << " compiler, e.g. " << arch << "-linux-gnu-g++>\") to export_library";
}

void WriteBytes(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  TVM_CHECK(out.good(), "OSError") << "export_library: cannot write " << path.string();
}

/*! \brief devc.S: the symbol __tvm_dev_mblob holding devc.bin (the packed import tree of `root`). */
std::string WriteModuleBlob(const runtime::Module& root, const fs::path& dir) {
  std::string blob = GlobalFunc("runtime.ModulePackImports")(root).operator std::string();
  WriteBytes(dir / "devc.bin", blob);
  // .incbin keeps large parameter blobs fast to build (no C array to parse).
  WriteBytes(dir / "devc.S",
             ".section .rodata.tvm_dev_mblob,\"a\"\n"
             ".globl __tvm_dev_mblob\n"
             ".type __tvm_dev_mblob, %object\n"
             ".p2align 4\n"
             "__tvm_dev_mblob:\n"
             ".incbin \"devc.bin\"\n"
             ".size __tvm_dev_mblob, .-__tvm_dev_mblob\n"
             ".section .note.GNU-stack,\"\",%progbits\n");
  return "devc.S";
}

/*! \brief shutil.which: `name` itself when it holds a '/', else the first executable on PATH. */
std::string Which(const std::string& name) {
  auto executable = [](const std::string& p) {
    struct stat st;
    return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
  };
  if (name.find('/') != std::string::npos) return executable(name) ? name : "";
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
    if (executable(candidate)) return candidate;
  }
  return "";
}

/*! \brief tvm.contrib.cc's choice: $CXX, else g++, c++ or cc on PATH. */
std::string SystemCompiler() {
  const char* cxx = std::getenv("CXX");
  if (cxx != nullptr && *cxx != '\0') {
    TVM_CHECK(!Which(cxx).empty(), "RuntimeError")
        << "the compiler '" << cxx << "' (the CXX environment variable) is not found or not executable";
    return cxx;
  }
  for (const char* name : {"g++", "c++", "cc"}) {
    std::string found = Which(name);
    if (!found.empty()) return found;
  }
  TVM_CHECK(false, "RuntimeError") << "no C/C++ compiler found to link the library (install g++ or set CXX)";
  return "";
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

/*! \brief Run `cmd` in `cwd`; (exit status, stdout + stderr). Output goes through files in `cwd`. */
std::pair<int, std::string> RunCommand(const std::vector<std::string>& cmd, const fs::path& cwd) {
  fs::path out_path = cwd / ".link.stdout", err_path = cwd / ".link.stderr";
  int out_fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int err_fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  TVM_CHECK(out_fd >= 0 && err_fd >= 0 && null_fd >= 0, "OSError")
      << "export_library: cannot create files in " << cwd.string() << ": " << std::strerror(errno);
  std::vector<char*> argv;
  for (const std::string& a : cmd) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  // Everything the child needs is prepared before fork: it only calls async-signal-safe functions.
  static const char kExecFailed[] = "export_library: cannot execute the compiler\n";
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(cwd.c_str()) != 0 || ::dup2(null_fd, 0) < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(err_fd, 2) < 0) {
      ::_exit(126);
    }
    ::execvp(argv[0], argv.data());
    ssize_t ignored = ::write(2, kExecFailed, sizeof(kExecFailed) - 1);
    (void)ignored;
    ::_exit(127);
  }
  int fork_errno = errno;
  ::close(out_fd);
  ::close(err_fd);
  ::close(null_fd);
  TVM_CHECK(pid > 0, "OSError") << "export_library: cannot start the compiler: " << std::strerror(fork_errno);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    TVM_CHECK(errno == EINTR, "OSError") << "export_library: waiting for the compiler: " << std::strerror(errno);
  }
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  return {code, ReadText(out_path) + ReadText(err_path)};
}

/*! \brief A temporary folder, removed with everything in it when this goes. */
class TempDir {
 public:
  explicit TempDir(const std::string& workspace_dir) {
    std::string base = workspace_dir;
    if (base.empty()) {
      const char* tmp = std::getenv("TMPDIR");
      base = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
    }
    TVM_CHECK(fs::is_directory(base), "ValueError")
        << "export_library: the workspace folder '" << base << "' does not exist";
    std::string templ = (fs::path(base) / "tvm-export-XXXXXX").string();
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    TVM_CHECK(::mkdtemp(buf.data()) != nullptr, "OSError")
        << "export_library: cannot create a temporary folder in '" << base << "': " << std::strerror(errno);
    path_ = fs::path(buf.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

/*! \brief `file_name` made absolute (the compiler runs elsewhere), its folder checked to be writable. */
fs::path CheckedOutputPath(const std::string& file_name) {
  TVM_CHECK(!file_name.empty(), "ValueError") << "export_library: the file name is empty";
  fs::path out = fs::absolute(file_name);
  fs::path dir = out.parent_path();
  TVM_CHECK(fs::is_directory(dir), "ValueError")
      << "export_library: cannot write '" << file_name << "': the folder '" << dir.string() << "' does not exist";
  TVM_CHECK(::access(dir.c_str(), W_OK) == 0, "PermissionError")
      << "export_library: cannot write '" << file_name << "': the folder '" << dir.string() << "' is not writable";
  TVM_CHECK(!fs::is_directory(out), "ValueError")
      << "export_library: cannot write '" << file_name << "': it is a folder";
  return out;
}

}  // namespace

void ExportLibrary(const runtime::Module& mod, const std::string& file_name, const std::string& workspace_dir) {
  TVM_CHECK(mod.defined(), "ValueError") << "export_library: the module is None";
  fs::path output = CheckedOutputPath(file_name);
  TempDir tmp(workspace_dir);
  std::vector<std::string> objects;  // relative to tmp
  bool needs_blob = false;
  std::vector<runtime::Module> modules = CollectModules(mod);
  for (size_t i = 0; i < modules.size(); ++i) {
    runtime::Module m = modules[i];
    std::string type_key = m->type_key();
    std::string stem = "lib" + std::to_string(i);
    if (type_key == "llvm") {
      CheckHostCanLink(m);
      if (runtime::PackedFunc save_parts = m.GetFunction("_save_object_files"); save_parts.defined()) {
        // A module built in parts: one object file each, compiled in parallel.
        Array<String> paths = save_parts((tmp.path() / stem).string()).operator Array<String>();
        for (const String& p : paths) objects.push_back(fs::path(std::string(p)).filename().string());
      } else {
        m->SaveToFile((tmp.path() / (stem + ".o")).string(), "");
        objects.push_back(stem + ".o");
      }
    } else if (type_key == "library") {
      TVM_CHECK(false, "ValueError") << "cannot re-export a module loaded from a shared library";
    } else if (m->GetPropertyMask() & runtime::ModulePropertyMask::kBinarySerializable) {
      needs_blob = true;
    } else {
      TVM_CHECK(false, "ValueError") << "export_library does not support modules of type '" << type_key << "' yet";
    }
  }
  // The modules that are not object code travel as __tvm_dev_mblob, which load_module unpacks.
  if (needs_blob) objects.push_back(WriteModuleBlob(mod, tmp.path()));
  std::vector<std::string> cmd{SystemCompiler(), "-shared", "-fPIC", "-o", output.string()};
  cmd.insert(cmd.end(), objects.begin(), objects.end());
  auto [code, output_text] = RunCommand(cmd, tmp.path());
  if (code != 0) {
    std::ostringstream line;
    for (size_t i = 0; i < cmd.size(); ++i) line << (i ? " " : "") << cmd[i];
    TVM_CHECK(false, "RuntimeError") << "linking failed:\n" << line.str() << "\n" << output_text;
  }
}

TVM_REGISTER_GLOBAL("runtime.ExportLibrary")
    .set_body_typed([](runtime::Module mod, std::string file_name, std::string workspace_dir) {
      ExportLibrary(mod, file_name, workspace_dir);
    });

}  // namespace driver
}  // namespace tvm
