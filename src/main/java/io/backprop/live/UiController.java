package io.backprop.live;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** The web UI's addresses, each a static page under {@code /ui/}; the pages call the API with the user's key. */
@Controller
class UiController {

    @GetMapping({"/ui", "/ui/"})
    String runs() {
        return "forward:/ui/index.html";
    }

    @GetMapping("/ui/runs/{id}")
    String run(@PathVariable String id) {
        return "forward:/ui/run.html";
    }

    @GetMapping("/ui/studies/{id}")
    String study(@PathVariable String id) {
        return "forward:/ui/study.html";
    }

    @GetMapping("/ui/compare")
    String compare() {
        return "forward:/ui/compare.html";
    }

    @GetMapping("/ui/login")
    String login() {
        return "forward:/ui/login.html";
    }
}
