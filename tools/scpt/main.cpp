// scpt: the native command-line tool. Exit status: 0 success, 2 bad input (one line on stderr
// naming the file and the problem), 130 interrupted, 1 internal error.
#include <cstdio>
#include <iostream>

#include "tools/native/files.hpp"
#include "tools/scpt/commands.hpp"

int main(int argc, char** argv) {
    CLI::App app{"scpt: cell-type annotation with scPretrain (pre-train, quantize, annotate, evaluate)"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("scpt ") + SCPT_VERSION);
    scpt::cli::Context ctx;
    app.add_flag("-q,--quiet", ctx.quiet, "No progress lines on stderr");
    ctx.control.cancel = scpt::native::install_interrupt_flag();
    scpt::cli::add_limit_options(app, ctx);

    scpt::cli::add_info(app, ctx);
    scpt::cli::add_inspect(app, ctx);
    scpt::cli::add_pretrain(app, ctx);
    scpt::cli::add_quantize(app, ctx);
    scpt::cli::add_annotate(app, ctx);
    scpt::cli::add_eval(app, ctx);
    scpt::cli::add_embed(app, ctx);
    scpt::cli::add_classifier(app, ctx);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    } catch (const scpt::Cancelled&) {
        std::cerr << "scpt: interrupted; no output was written\n";
        return 130;
    } catch (const scpt::InputError& e) {
        std::cerr << "scpt: " << e.what() << "\n";
        return 2;
    } catch (const std::bad_alloc&) {
        std::cerr << "scpt: out of memory (the input may be larger than this machine can hold)\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "scpt: internal error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
