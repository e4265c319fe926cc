package org.ffilab.studentwork;

import java.util.Map;

import org.ffilab.run.ApiException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Refusals of the drafts and self-check API are JSON, like the run API's: {"error": "what is wrong"}. */
@RestControllerAdvice(assignableTypes = { DraftController.class, SelfCheckController.class })
class StudentWorkExceptionHandler {

	@ExceptionHandler
	ResponseEntity<Map<String, String>> refused(ApiException ex) {
		return ResponseEntity.status(ex.status()).body(Map.of("error", ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException ex) {
		return ResponseEntity.badRequest().body(Map.of("error", "The request body must be JSON"));
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> mediaType(HttpMediaTypeNotSupportedException ex) {
		return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.body(Map.of("error", "Send the request as application/json"));
	}

}
