package io.ecsbridge.api.v1alpha1;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * Writes a whole-number {@code Double} of a spec as the integer a person wrote ({@code 60}, not {@code 60.0}). The
 * API server keeps JSON numbers as they come and compares specs value by value with their types: {@code 60} read
 * into our model and written back as {@code 60.0} would be a changed spec, a new {@code metadata.generation}, for an
 * update that changed nothing (a typed read-modify-write through this model, e.g. a client of ours or a test).
 */
public final class WholeNumbers extends StdSerializer<Double> {
  public WholeNumbers() {
    super(Double.class);
  }

  @Override
  public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
    if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
      gen.writeNumber(value.longValue());
    } else {
      gen.writeNumber(value);
    }
  }

  /** A number to schema generators (the CRD keeps {@code type: number} and the field's bounds). */
  @Override
  public void acceptJsonFormatVisitor(JsonFormatVisitorWrapper visitor, JavaType typeHint)
      throws JsonMappingException {
    visitFloatFormat(visitor, typeHint, JsonParser.NumberType.DOUBLE);
  }
}
