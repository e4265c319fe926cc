// Task 9: a Node addon with one function, add(a, b), written against Node-API (node-addon-api).
// The checker builds it with `node-gyp configure build` and loads build/Release/addon.node.
#include <napi.h>

// add(a, b): the sum of two numbers.
static Napi::Value Add(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  // TODO 1: info.Length() is the number of arguments JavaScript passed. With fewer than two,
  //         throw a TypeError: Napi::TypeError::New(env, "message").ThrowAsJavaScriptException();
  //         then return (any value: JavaScript sees the exception, not the value).
  // TODO 2: info[0] and info[1] can be anything JavaScript passed (a string, undefined, an
  //         object...). Unless both IsNumber(), throw a TypeError the same way.
  // TODO 3: read both as Napi::Number (info[i].As<Napi::Number>().DoubleValue()) and return
  //         their sum as a Napi::Number (Napi::Number::New(env, sum)).
  return Napi::Number::New(env, 0);
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("add", Napi::Function::New(env, Add, "add"));
  return exports;
}

// Registers the module under the target name of binding.gyp.
NODE_API_MODULE(addon, Init)
