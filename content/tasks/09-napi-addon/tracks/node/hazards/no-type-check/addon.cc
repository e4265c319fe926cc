// Task 9 hazard: the arguments are read as numbers without checking how many there are or
// what they are.
#include <napi.h>

static Napi::Value Add(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  double a = info[0].As<Napi::Number>().DoubleValue();
  double b = info[1].As<Napi::Number>().DoubleValue();
  return Napi::Number::New(env, a + b);
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("add", Napi::Function::New(env, Add, "add"));
  return exports;
}

NODE_API_MODULE(addon, Init)
