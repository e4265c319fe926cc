package org.ffilab.run;

import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Every refusal of the API is JSON: {"error": "what is wrong"}. */
@RestControllerAdvice(assignableTypes = RunController.class)
class ApiExceptionHandler {

	@ExceptionHandler
	ResponseEntity<Map<String, String>> refused(ApiException ex) {
		var response = ResponseEntity.status(ex.status());
		ex.retryAfter().ifPresent((wait) -> response.header(HttpHeaders.RETRY_AFTER, Long.toString(wait.toSeconds())));
		return response.body(Map.of("error", ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException ex) {
		return ResponseEntity.badRequest()
			.body(Map.of("error",
					"The request body must be JSON: {\"task\": ..., \"track\": ..., \"files\": {\"name\": \"content\"}}"));
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> mediaType(HttpMediaTypeNotSupportedException ex) {
		return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.body(Map.of("error", "Send the submission as application/json"));
	}

}
