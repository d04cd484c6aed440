// Embind objects (Session, ByteBuffer, Model, TenxStream, TarLister, ...) own wasm memory that
// JS's garbage collector cannot see: each must be delete()d. own(object) wraps one so that
//   - it is used as the object itself: its methods, and as an argument to the module's functions
//     (the wrapper forwards every property, Embind's handle `$$` included, to the object);
//   - free() deletes it (once: a second free does nothing; a use after it is Embind's error);
//   - one the code forgot (a thrown error between creation and free) is deleted once the wrapper
//     is garbage: a FinalizationRegistry backstop, so an error path cannot leak wasm memory.
// Keep the wrapper, never the object behind it: the backstop deletes the object when the wrapper
// is gone.

const forgotten = new FinalizationRegistry((object) => {
  if (!object.isDeleted()) object.delete();
});

class Owned {
  constructor(object) {
    this.object = object;
    forgotten.register(this, object, this);
  }

  free() {
    forgotten.unregister(this);
    if (!this.object.isDeleted()) this.object.delete();
  }
}

// The wrapper of an Embind object (null and undefined stay as they are).
export function own(object) {
  if (object == null) return object;
  return new Proxy(new Owned(object), {
    get(owned, key) {
      if (key === 'free') return () => owned.free();
      const v = owned.object[key];
      return typeof v === 'function' ? v.bind(owned.object) : v;
    },
  });
}
