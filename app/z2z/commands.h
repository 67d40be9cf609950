// The `z2z` sub-commands. Each lives in its own cmd_<name>.cpp and returns the process exit code
// (0 ok, 1 runtime failure, 2 bad input or usage). argv[0] is the sub-command name.
#pragma once

namespace z2z::cli {

int cmd_lzw(int argc, char** argv);
int cmd_generate(int argc, char** argv);
int cmd_score(int argc, char** argv);
int cmd_train_tokenizer(int argc, char** argv);
int cmd_train(int argc, char** argv);
int cmd_eval(int argc, char** argv);
int cmd_tokenize(int argc, char** argv);
int cmd_detokenize(int argc, char** argv);
int cmd_compress(int argc, char** argv);
int cmd_inspect(int argc, char** argv);
int cmd_replay(int argc, char** argv);
int cmd_export(int argc, char** argv);

}  // namespace z2z::cli
