// Task 9: a Node addon with one function, add(a, b), written against Node-API (node-addon-api).
#include <napi.h>

// add(a, b): the sum of two numbers. Anything else is a TypeError, never a crash or a NaN.
static Napi::Value Add(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2) {
    Napi::TypeError::New(env, "add(a, b) expects two numbers, got " +
                                  std::to_string(info.Length()) + " argument(s)")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (!info[0].IsNumber() || !info[1].IsNumber()) {
    Napi::TypeError::New(env, "add(a, b) expects two numbers").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  // Only now is As<Napi::Number>() safe: As<> converts the handle's C++ type, it checks nothing.
  double a = info[0].As<Napi::Number>().DoubleValue();
  double b = info[1].As<Napi::Number>().DoubleValue();
  return Napi::Number::New(env, a + b);
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("add", Napi::Function::New(env, Add, "add"));
  return exports;
}

// Registers the module under the target name of binding.gyp.
NODE_API_MODULE(addon, Init)
